export * from "./commerce/commerce";
export * from "./dropship/dropship";
export { answerFrom, type HttpResult, sendJson } from "./http";
export * from "./manual/manual";
export * from "./notification";
export * from "./types";
export * from "./wms/wms";
