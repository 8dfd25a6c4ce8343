import { z } from "zod";
import { idText } from "@/lib/validation/text";

/** The `{id}` of a REST path: an id (never a control character), named `id` in messages. */
export const idParamsSchema = z.object({ id: idText() });
