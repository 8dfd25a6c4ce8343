/**
 * The inputs of Settings → Users and of the set-password page: untrusted, parsed inside each
 * server action. No server-only imports, so forms may share the limits.
 */
import { z } from "zod";
import {
  CONTROL_CHARACTER_MESSAGE,
  freeText,
  hasControlCharacter,
  ILL_FORMED_MESSAGE,
} from "@/lib/validation/text";

import { ROLES } from "./permissions";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/** How long an invite or reset link works. */
export const PASSWORD_LINK_TTL_HOURS = 72;

const userId = z
  .string()
  .trim()
  .min(1, "Not a user id.")
  .max(200, "Not a user id.")
  .refine((value) => !hasControlCharacter(value), CONTROL_CHARACTER_MESSAGE)
  .refine((value) => value.isWellFormed(), ILL_FORMED_MESSAGE);

export const inviteUserSchema = z.object({
  name: freeText({ max: 200, required: "Enter the person's name." }),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(
      z.email("Enter an email address, like name@example.com.").max(320, "is longer than 320 characters"),
    ),
  role: z.enum(ROLES, "Choose a role."),
});
export type InviteUserInput = z.infer<typeof inviteUserSchema>;

export const changeRoleSchema = z.object({ userId, role: z.enum(ROLES, "Choose a role.") });
export type ChangeRoleInput = z.infer<typeof changeRoleSchema>;

export const userIdSchema = z.object({ userId });
export type UserIdInput = z.infer<typeof userIdSchema>;

export const setPasswordSchema = z
  .object({
    token: z.string().min(1, "The link is incomplete.").max(200, "The link is not valid."),
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
      .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters.`),
    confirm: z.string(),
  })
  .refine((input) => input.password === input.confirm, {
    path: ["confirm"],
    message: "The two passwords differ.",
  });
export type SetPasswordInput = z.infer<typeof setPasswordSchema>;
