/** An API error the server answers with a Kubernetes `Status` body, as a real API server does. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      details: this.details,
      code: this.code,
    };
  }
}

export const notFound = (resource: string, name: string): ApiError =>
  new ApiError(404, 'NotFound', `${resource} "${name}" not found`, { name, kind: resource });

export const conflict = (resource: string, name: string, why: string): ApiError =>
  new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${resource} "${name}": ${why}`, {
    name,
    kind: resource,
  });

export const alreadyExists = (resource: string, name: string): ApiError =>
  new ApiError(409, 'AlreadyExists', `${resource} "${name}" already exists`, { name, kind: resource });

/** The wording a real API server uses, so clients' error handling is exercised on realistic text. */
export const forbidden = (verb: string, resource: string, group: string, namespace: string | undefined): ApiError =>
  new ApiError(
    403,
    'Forbidden',
    `${resource} is forbidden: User "aksguard-test" cannot ${verb} resource "${resource}" in API group "${group}" ${
      namespace ? `in the namespace "${namespace}"` : 'at the cluster scope'
    }`,
    { kind: resource },
  );
