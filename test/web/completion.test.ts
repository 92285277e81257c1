// Completion in the editor, in a real browser: in JavaScript, `net.` offers the `net` module's
// exports and `socket.` a UdpSocket's methods with their signatures, both from TypeScript's
// language service in its worker (the word list it replaces offers no export after `net.`);
// in Rust, `UdpSocket::` offers `bind` with its signature, read from the `std` facade. The
// server offers Rust without compiling anything here: nothing is run.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LANGUAGES } from "../../src/http/submitter.ts";
import { openAliceAsLearner, startWebRig, type WebRig } from "./browser.ts";

let rig: WebRig;
let page: Page;

beforeAll(async () => {
  rig = await startWebRig({}, { languages: LANGUAGES });
  ({ page } = await openAliceAsLearner(rig));
}, 180_000);

afterAll(() => rig?.close());

/** Replaces the editor's text, as a paste does (no completion opens on a paste). */
async function pasteProgram(code: string) {
  await page.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
}

/** The open completion list's labels, and the detail beside one of them. */
const options = {
  labels: () => page.locator(".cm-tooltip-autocomplete li .cm-completionLabel").allTextContents(),
  detailOf: (label: string) =>
    page
      .locator(".cm-tooltip-autocomplete li", {
        has: page.locator(".cm-completionLabel", { hasText: new RegExp(`^${label}$`) }),
      })
      .locator(".cm-completionDetail")
      .textContent(),
};

describe("completion in the editor", () => {
  it(
    "offers the net module's members from TypeScript's language service",
    { timeout: 120_000 },
    async () => {
      await page.getByLabel("Language").selectOption("javascript");
      // A misspelt name: its mark says TypeScript has loaded in its worker.
      await pasteProgram(`import * as net from "net";\nnet.Udp;\n`);
      await page.locator(".cm-lintRange").first().waitFor({ timeout: 90_000 });

      await pasteProgram(`import * as net from "net";\n`);
      await page.keyboard.type("net.");
      await expect
        .poll(options.labels, { timeout: 30_000 })
        .toEqual(expect.arrayContaining(["UdpSocket", "TcpStream", "TcpListener", "Ipv4Addr"]));
      expect(await options.labels()).not.toContain("sendTo");
      expect(await options.detailOf("UdpSocket")).toMatch(/class .*UdpSocket/);

      // Typing on narrows the list.
      await page.keyboard.type("UdpS");
      await expect.poll(options.labels).toEqual(["UdpSocket"]);
      await page.keyboard.type('ocket.bind("0.0.0.0:0").se');
      await expect
        .poll(options.labels)
        .toEqual(expect.arrayContaining(["sendTo", "setReadTimeout"]));
      expect(await options.detailOf("sendTo")).toBe(
        "(method) UdpSocket.sendTo(data: Uint8Array | string, addr: net.ToSocketAddr): number",
      );
      // The selected entry's documentation, asked for when it is selected.
      await expect.poll(() => page.locator(".cm-completionInfo").textContent()).toMatch(/\S/);
      await page.keyboard.press("Escape");
    },
  );

  it("offers the Rust net API's functions with their signatures", { timeout: 60_000 }, async () => {
    await page.getByLabel("Language").selectOption("rust");
    await pasteProgram("use std::net::UdpSocket;\n\nfn main() {\n    let socket = ");
    await page.keyboard.type("UdpSocket::");
    await expect.poll(options.labels, { timeout: 30_000 }).toEqual(["bind"]);
    expect(await options.detailOf("bind")).toBe(
      "fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<UdpSocket>",
    );
    // Typed on (Enter within 75 ms of the list opening is not taken as a choice).
    await page.keyboard.type('bind("0.0.0.0:0")?;\n    socket.recv');
    await expect.poll(options.labels).toEqual(expect.arrayContaining(["recv_from"]));
    await page.keyboard.press("Escape");
  });
});
