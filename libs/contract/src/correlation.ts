/**
 * The Temporal header that carries a request's correlation id: set by the API's client on the
 * signal (or start) that asks for a scan, copied by the workflow onto every activity it schedules,
 * read by the worker into each activity's log attributes.
 */
export const CORRELATION_ID_HEADER = 'repoguard-correlation-id';
