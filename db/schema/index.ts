export * from "./batches";
export * from "./cancellations";
export * from "./catalog";
