import nodemailer from "nodemailer";
import { type Env, env } from "@/lib/env";

/** Whether a set-password link also went out by mail (`SMTP_URL`), for the admin's screen. */
export type LinkMail =
  | { state: "off" }
  | { state: "sent"; to: string }
  | { state: "failed"; to: string; reason: string };

export type PasswordLinkMail = {
  to: string;
  name: string;
  /** The absolute link (`https://oms.example.com/invite/…`). */
  url: string;
  expiresAt: Date;
  purpose: "invite" | "reset";
};

/** Seconds to wait for the mail server at each step: the admin's screen waits too. */
const SMTP_TIMEOUT_MS = 10_000;

/** The app's public address, where the link is opened: BETTER_AUTH_URL, or the dev server. */
export function appOrigin(config: Env = env()): string {
  return config.BETTER_AUTH_URL ?? "http://localhost:3000";
}

function senderOf(config: Env): string {
  return config.MAIL_FROM ?? `Order cancellations <no-reply@${new URL(appOrigin(config)).hostname}>`;
}

function message(mail: PasswordLinkMail): { subject: string; text: string } {
  const until = mail.expiresAt.toISOString().replace("T", " ").slice(0, 16);
  if (mail.purpose === "invite") {
    return {
      subject: "You are invited to the order-cancellation panel",
      text: `Hello ${mail.name},\n\nyou have been invited to the order-cancellation panel. Choose your password here (the link works once, until ${until} UTC):\n\n${mail.url}\n`,
    };
  }
  return {
    subject: "Your password for the order-cancellation panel was reset",
    text: `Hello ${mail.name},\n\nyour password was reset by an administrator. Choose a new one here (the link works once, until ${until} UTC):\n\n${mail.url}\n`,
  };
}

/** Why a mail did not go out, in words an admin can act on; never the server's own text. */
function reasonOf(code: unknown): string {
  switch (code) {
    case "EAUTH":
      return "the mail server refused the credentials in SMTP_URL";
    case "EENVELOPE":
      return "the mail server refused the address";
    case "ETIMEDOUT":
    case "ECONNECTION":
    case "ESOCKET":
    case "EDNS":
      return "the mail server could not be reached";
    default:
      return "the mail server did not take the mail";
  }
}

/**
 * Mails a one-time set-password link when `SMTP_URL` is set. Never throws: a mail that did not go
 * out leaves the link on the admin's screen to pass on by hand, with the reason (without the mail
 * server's credentials, which live in SMTP_URL).
 */
export async function mailPasswordLink(mail: PasswordLinkMail, config: Env = env()): Promise<LinkMail> {
  const smtpUrl = config.SMTP_URL;
  if (!smtpUrl) return { state: "off" };
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  try {
    await transport.sendMail({
      from: senderOf(config),
      to: { name: mail.name, address: mail.to },
      ...message(mail),
    });
    return { state: "sent", to: mail.to };
  } catch (error) {
    const reason = reasonOf((error as { code?: unknown }).code);
    console.error(`[mail] the ${mail.purpose} link for a user was not mailed: ${reason}`);
    return { state: "failed", to: mail.to, reason };
  } finally {
    transport.close();
  }
}
