// The few HTML pages of LTI: the page a launch opens (until the web app exists), the exercise
// picker of Deep Linking, and the self-submitting form that returns its answer to the LMS.
// Every value is escaped; scripts run only with the page's CSP nonce.
import { randomBytes } from "node:crypto";
import type { FastifyReply } from "fastify";

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function sendPage(reply: FastifyReply, title: string, body: (nonce: string) => string) {
  const nonce = randomBytes(16).toString("base64");
  return reply
    .header(
      "content-security-policy",
      `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; form-action *; frame-ancestors *`,
    )
    .header("cache-control", "no-store")
    .type("text/html; charset=utf-8")
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
        `<style>body{font:16px system-ui,sans-serif;margin:2rem;max-width:40rem}</style></head>` +
        `<body>${body(nonce)}</body></html>`,
    );
}

/** A form the browser posts at once to `action` (the LMS), with a button if scripts are off. */
export function autoPostForm(nonce: string, action: string, fields: Record<string, string>) {
  const inputs = Object.entries(fields)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join("");
  return (
    `<form id="return" method="post" action="${escapeHtml(action)}">${inputs}` +
    `<button type="submit">Continue</button></form>` +
    `<script nonce="${nonce}">document.getElementById("return").submit()</script>`
  );
}
