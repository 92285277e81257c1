#!/usr/bin/env node
// The `packetlab` command. The TypeScript sources run through tsx's loader, so there is no build
// step between a checkout and a working command.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
