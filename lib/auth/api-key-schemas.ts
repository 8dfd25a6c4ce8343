import { z } from "zod";
import { freeText } from "@/lib/validation/text";

import { API_SCOPES } from "./permissions";

export const createApiKeySchema = z.object({
  name: freeText({ max: 100, required: "Give the key a name, e.g. the integration that uses it." }),
  scopes: z
    .array(z.enum(API_SCOPES))
    .min(1, "Choose at least one scope.")
    .transform((scopes) => [...new Set(scopes)]),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

export const revokeApiKeySchema = z.object({ id: z.uuid("Not an API key id.") });
export type RevokeApiKeyInput = z.infer<typeof revokeApiKeySchema>;
