"use client";

import { useState, useSyncExternalStore } from "react";

import type { BulkRow } from "./bulk-rows";

/**
 * The rows of the bulk table, outside React state: 100,000 rows are replaced (copy-on-write, by
 * the functions of ./bulk-rows.ts), never mutated, and the screen reads them through
 * useSyncExternalStore. Callbacks that run long after a render (the watcher, an upload's answer)
 * read and update the current rows without stale closures.
 */
export class RowStore {
  private rows: readonly BulkRow[] = [];
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): readonly BulkRow[] => this.rows;

  set(rows: readonly BulkRow[]): void {
    if (rows === this.rows) return;
    this.rows = rows;
    for (const listener of this.listeners) listener();
  }

  update(change: (rows: readonly BulkRow[]) => readonly BulkRow[]): void {
    this.set(change(this.rows));
  }
}

/** A row store for one panel, and its current rows. */
export function useRowStore(): [RowStore, readonly BulkRow[]] {
  const [store] = useState(() => new RowStore());
  const rows = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return [store, rows];
}
