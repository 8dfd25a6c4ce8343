import { describe, expect, test } from "vitest";

import { can, PERMISSIONS, type Permission, ROLES, type Role } from "./permissions";

/**
 * The whole map, written out: a change to who may do what must change this table too.
 * admin: everything. ops: bulk CSV, single, orders. support: single cancels, no bulk. viewer: read only.
 */
const EXPECTED: Record<Permission, readonly Role[]> = {
  "orders:read": ["admin", "ops", "support", "viewer"],
  "batches:read": ["admin", "ops", "support", "viewer"],
  "cancel:single": ["admin", "ops", "support"],
  "cancel:bulk": ["admin", "ops"],
  "batches:start-any": ["admin"],
  "requests:decide": ["admin", "ops", "support"],
  "sync:retry": ["admin", "ops"],
  "settings:manage": ["admin"],
  "audit:read": ["admin"],
};

describe("can(role, permission)", () => {
  test("every permission has a row in the table", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...PERMISSIONS].sort());
  });

  const cases = ROLES.flatMap((role) =>
    PERMISSIONS.map((permission) => ({ role, permission, allowed: EXPECTED[permission].includes(role) })),
  );

  test.each(cases)("$role → $permission: $allowed", ({ role, permission, allowed }) => {
    expect(can(role, permission)).toBe(allowed);
  });

  test("admin holds every permission; viewer holds only reads", () => {
    expect(PERMISSIONS.every((p) => can("admin", p))).toBe(true);
    expect(PERMISSIONS.filter((p) => can("viewer", p)).every((p) => p.endsWith(":read"))).toBe(true);
  });
});
