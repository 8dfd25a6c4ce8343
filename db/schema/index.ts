export * from "./api-keys";
export * from "./audit";
export * from "./auth";
export * from "./batches";
export * from "./cancellations";
export * from "./catalog";
export * from "./idempotency";
export * from "./outbox";
