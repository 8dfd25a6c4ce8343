export * from "./cancellations";
export * from "./catalog";
