/**
 * Every REST operation of /api/v1, in the order the reference shows them. A route handler that is
 * not built from one of these fails the contract test (test/api-contract.test.ts).
 */
import type { Operation } from "../operation";
import {
  createCancellationBatch,
  getCancellationBatch,
  getCancellationBatchErrorsCsv,
  listCancellationBatchItems,
  retryCancellationBatch,
  startCancellationBatch,
} from "./batches";
import { createCancelRequest, listCancelRequests, putChannelOrder, receiveWarehouseEvent } from "./intake";
import { cancelLineItem, cancelOrder, getOrder, listOrders } from "./orders";
import { cancelSubOrder, getMe, getSubOrder } from "./sub-orders";

export const OPERATIONS: readonly Operation[] = [
  getMe,
  getSubOrder,
  cancelSubOrder,
  cancelLineItem,
  listOrders,
  getOrder,
  cancelOrder,
  createCancellationBatch,
  getCancellationBatch,
  listCancellationBatchItems,
  getCancellationBatchErrorsCsv,
  startCancellationBatch,
  retryCancellationBatch,
  putChannelOrder,
  receiveWarehouseEvent,
  createCancelRequest,
  listCancelRequests,
];
