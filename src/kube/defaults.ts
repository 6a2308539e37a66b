/** Objects per list request: the page size kubectl and client-go use, small enough for any API server. */
export const DEFAULT_CHUNK_SIZE = 500;
