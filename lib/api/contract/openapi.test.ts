/**
 * The generated OpenAPI document is complete and agrees with the route files: every operation is
 * described (summary, description, tag, scope, a 2xx, each of its problem responses with an example
 * that fits the Problem schema), ids are unique, every path parameter is declared, and every route
 * file under app/api/v1 is built from an operation of OPERATIONS (and every operation has one).
 */
import fs from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, test } from "vitest";

import { API_SCOPES } from "@/lib/auth/permissions";
import { ERRORS } from "@/lib/cancellation/errors";
import { buildOpenApiDocument } from "./openapi";
import { errorsOf, type Operation } from "./operation";
import { OPERATIONS } from "./operations";

type Json = Record<string, unknown>;
type OperationObject = {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Json }[];
  requestBody?: { content: Record<string, { schema: Json; example?: unknown }> };
  responses: Record<
    string,
    {
      description?: string;
      content?: Record<
        string,
        { schema?: Json; example?: unknown; examples?: Record<string, { value: unknown }> }
      >;
    }
  >;
};

const ROOT = path.resolve(import.meta.dirname, "../../..");
const V1 = path.join(ROOT, "app", "api", "v1");
const METHODS = ["get", "put", "post", "delete", "patch"] as const;

const document = buildOpenApiDocument(OPERATIONS) as unknown as {
  openapi: string;
  info: { title: string; version: string };
  tags: { name: string }[];
  paths: Record<string, Partial<Record<(typeof METHODS)[number], OperationObject>>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
};

const operations = Object.entries(document.paths).flatMap(([pathName, item]) =>
  METHODS.flatMap((method) => (item[method] ? [{ path: pathName, method, operation: item[method] }] : [])),
);
const byId = new Map(OPERATIONS.map((o) => [o.operationId, o]));

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
/** `#/components/schemas/X` → the id the component is registered under, so Ajv resolves it. */
const COMPONENT_REF = "#/components/schemas/";
const componentId = (name: string) => `urn:openapi:schemas:${name}`;
function resolvingRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(resolvingRefs);
  if (schema === null || typeof schema !== "object") return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) =>
      key === "$ref" && typeof value === "string" && value.startsWith(COMPONENT_REF)
        ? [key, componentId(value.slice(COMPONENT_REF.length))]
        : [key, resolvingRefs(value)],
    ),
  );
}
for (const [name, schema] of Object.entries(document.components.schemas)) {
  ajv.addSchema(resolvingRefs(schema) as Json, componentId(name));
}
/** A schema of the document, its component refs resolved. */
const compile = (schema: Json) => ajv.compile(resolvingRefs(schema) as Json);

describe("the OpenAPI document", () => {
  test("is an OpenAPI 3.1 document with every operation in OPERATIONS, once", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.info.title).not.toBe("");
    expect(document.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    const ids = operations.map((o) => o.operation.operationId);
    expect(new Set(ids).size, `duplicate operationIds: ${ids}`).toBe(ids.length);
    expect(new Set(OPERATIONS.map((o) => o.operationId)).size).toBe(OPERATIONS.length);
    expect(ids.toSorted()).toEqual(OPERATIONS.map((o) => o.operationId).toSorted());
    for (const pathName of Object.keys(document.paths)) expect(pathName).toMatch(/^(\/[A-Za-z0-9._{}-]+)+$/);
  });

  test.each(operations.map((o) => [o.operation.operationId, o] as const))(
    "%s is fully described",
    (id, entry) => {
      const { operation, path: pathName, method } = entry;
      const source = byId.get(id) as Operation;
      expect(source.method).toBe(method);
      expect(source.path).toBe(pathName);

      expect(operation.summary?.trim()).toBeTruthy();
      expect(operation.description?.trim()).toBeTruthy();
      expect(operation.tags?.length).toBeGreaterThan(0);
      for (const tag of operation.tags ?? []) expect(document.tags.map((t) => t.name)).toContain(tag);

      expect(API_SCOPES).toContain(source.scope);
      expect(operation.security).toEqual([{ apiKey: [source.scope] }]);
      expect(operation.description).toContain(`\`${source.scope}\``);

      const statuses = Object.keys(operation.responses);
      const success = statuses.filter((s) => /^2\d\d$/.test(s));
      expect(success.length, "a 2xx answer").toBeGreaterThan(0);
      for (const status of success) {
        const content = operation.responses[status]?.content ?? {};
        expect(Object.keys(content).length, `${status} has a body`).toBeGreaterThan(0);
        for (const [type, media] of Object.entries(content)) {
          expect(media.schema, `${status} ${type} schema`).toBeDefined();
          if (media.example !== undefined) {
            const validate = compile(media.schema as Json);
            expect(validate(media.example), `${status} example: ${ajv.errorsText(validate.errors)}`).toBe(
              true,
            );
          }
        }
      }

      // Each code it can answer with: under its status, as problem details, with an example of that code.
      const validateProblem = compile({ $ref: "#/components/schemas/Problem" });
      for (const code of errorsOf(source)) {
        const status = String(ERRORS[code].status);
        const media = operation.responses[status]?.content?.["application/problem+json"];
        expect(media, `${code}: a ${status} problem response`).toBeDefined();
        expect(media?.schema).toEqual({ $ref: "#/components/schemas/Problem" });
        const example = media?.examples?.[code]?.value as { code?: string; status?: number; detail?: string };
        expect(example, `${code}: an example`).toBeDefined();
        expect(validateProblem(example), `${code} example: ${ajv.errorsText(validateProblem.errors)}`).toBe(
          true,
        );
        expect(example).toMatchObject({ code, status: Number(status) });
        expect(example.detail).not.toMatch(/undefined|\[object/);
      }
      // ... and no problem response it cannot give.
      for (const status of statuses.filter((s) => !success.includes(s))) {
        const examples = operation.responses[status]?.content?.["application/problem+json"]?.examples ?? {};
        expect(Object.keys(examples).length, `${status} names its codes`).toBeGreaterThan(0);
        for (const code of Object.keys(examples)) expect(errorsOf(source)).toContain(code);
      }

      // Path parameters: every `{name}` declared, required, and nothing declared that is not in the path.
      const inTemplate = [...pathName.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = (operation.parameters ?? []).filter((p) => p.in === "path");
      expect(declared.map((p) => p.name).toSorted()).toEqual(inTemplate.toSorted());
      for (const parameter of declared) {
        expect(parameter.required).toBe(true);
        expect(parameter.schema).toBeDefined();
      }
      const names = (operation.parameters ?? []).map((p) => `${p.in}:${p.name}`);
      expect(new Set(names).size, `duplicate parameters: ${names}`).toBe(names.length);

      if (source.idempotent) expect(names).toContain("header:Idempotency-Key");
      if (source.body) {
        const media = operation.requestBody?.content["application/json"];
        expect(media?.schema).toBeDefined();
        if (media?.example !== undefined) {
          const validate = compile(media.schema);
          expect(validate(media.example), `body example: ${ajv.errorsText(validate.errors)}`).toBe(true);
        }
      }
    },
  );
});

/** `app/api/v1/sub-orders/[id]/cancel/route.ts` → `/sub-orders/{id}/cancel`. */
function routePathOf(file: string): string {
  const dir = path.relative(V1, path.dirname(file)).split(path.sep).join("/");
  return `/${dir.replace(/\[([^\]]+)\]/g, "{$1}")}`;
}

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return /^route\.(ts|tsx|js)$/.test(entry.name) ? [full] : [];
  });
}

/** The route files that serve the API (the document's own route describes it, it is not an operation). */
const ROUTES = routeFiles(V1)
  .filter((file) => routePathOf(file) !== "/openapi.json")
  .map((file) => ({
    file: path.relative(ROOT, file),
    path: routePathOf(file),
    source: fs.readFileSync(file, "utf8"),
  }));

/** The module an identifier of a route file is imported from, and its exported name. */
function importOf(source: string, file: string, local: string): { module: string; name: string } | null {
  for (const match of source.matchAll(/import\s*(?:type\s+)?\{([^}]*)\}\s*from\s*["']([^"']+)["']/g)) {
    for (const part of (match[1] ?? "").split(",")) {
      const [name, alias] = part.trim().split(/\s+as\s+/);
      if ((alias ?? name) === local && name) {
        const specifier = match[2] as string;
        const module = specifier.startsWith(".")
          ? path.resolve(ROOT, path.dirname(file), specifier)
          : specifier.replace(/^@\//, `${ROOT}/`);
        return { module, name };
      }
    }
  }
  return null;
}

describe("the route files under app/api/v1", () => {
  test("exist", () => {
    expect(ROUTES.length).toBeGreaterThan(0);
  });

  test.each(ROUTES.map((r) => [r.file, r] as const))(
    "%s exports only handlers built from an operation",
    async (_, route) => {
      const exported = [
        ...route.source.matchAll(/export\s+(?:async\s+)?(?:const|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g),
      ];
      expect(exported.length, "exports a handler").toBeGreaterThan(0);
      for (const [, method] of exported) {
        const built = new RegExp(
          `export\\s+const\\s+${method}\\s*=\\s*apiRoute\\(\\s*([A-Za-z_$][\\w$]*)`,
        ).exec(route.source);
        expect(built, `${method} is \`apiRoute(<operation>, …)\` (app/api/_lib/api-route.ts)`).not.toBeNull();
        const local = built?.[1] as string;
        const origin = importOf(route.source, route.file, local);
        expect(origin, `${local} is imported from lib/api/contract/operations`).not.toBeNull();
        const module = (await import(/* @vite-ignore */ origin?.module as string)) as Record<string, unknown>;
        const operation = module[origin?.name as string];
        const match = OPERATIONS.find((o) => o === operation);
        expect(match, `${local} is one of OPERATIONS (lib/api/contract/operations/index.ts)`).toBeDefined();
        expect({ method: match?.method, path: match?.path }).toEqual({
          method: method?.toLowerCase(),
          path: route.path,
        });
      }
    },
  );

  test.each(OPERATIONS.map((o) => [o.operationId, o] as const))("%s has its route file", (_, operation) => {
    const route = ROUTES.find((r) => r.path === operation.path);
    const expected = `app/api/v1${operation.path.replace(/\{([^}]+)\}/g, "[$1]")}/route.ts`;
    expect(route?.file, `a route file at ${expected}`).toBeDefined();
    expect(route?.source).toMatch(
      new RegExp(`export\\s+const\\s+${operation.method.toUpperCase()}\\s*=\\s*apiRoute\\(`),
    );
  });
});
