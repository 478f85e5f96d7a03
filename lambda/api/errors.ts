/** Errors the handler means to show the caller; anything else becomes a bare 500. */
export class HttpError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly publicMessage: string,
  ) {
    super(publicMessage);
    this.name = new.target.name;
  }
}

export class NotFoundError extends HttpError {
  constructor() {
    super(404, 'Not Found');
  }
}

/** A protected route reached without the authorizer's claims: fail closed. */
export class MissingCallerError extends HttpError {
  constructor() {
    super(401, 'Unauthorized');
  }
}
