export * from "./commerce";
export * from "./demo";
export * from "./demo-orders";
export * from "./dropship";
export * from "./server";
export * from "./wms";
