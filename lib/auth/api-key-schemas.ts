import { z } from "zod";

import { API_SCOPES } from "./permissions";

export const createApiKeySchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the key a name, e.g. the integration that uses it.")
    .max(100, "At most 100 characters."),
  scopes: z
    .array(z.enum(API_SCOPES))
    .min(1, "Choose at least one scope.")
    .transform((scopes) => [...new Set(scopes)]),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

export const revokeApiKeySchema = z.object({ id: z.uuid("Not an API key id.") });
export type RevokeApiKeyInput = z.infer<typeof revokeApiKeySchema>;
