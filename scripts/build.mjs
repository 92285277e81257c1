// `npm run build` (and npm's `prepare`, so `npm ci` runs it): bundles the command line, the
// sandbox worker and the simulated network into dist/ with esbuild, so `packetlab` starts as
// plain JavaScript instead of compiling every source file through tsx at each start.
// bin/packetlab.js uses dist/ only while it is newer than every file it was built from.
//
// Paths a module computes from its own location (new URL("../../prisma/migrations",
// import.meta.url)) must keep pointing at the sources: each module's import.meta.url is
// rewritten to the URL of its source file, expressed relative to dist/ so the tree can move.
import { createHash } from "node:crypto";
import { build } from "esbuild";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = resolve(ROOT, "dist");

if (!existsSync(resolve(ROOT, "src/cli.ts"))) {
  // The container's dependency layer runs `npm ci` before the sources are copied in.
  console.log("packetlab build: no sources yet, nothing to build");
  process.exit(0);
}

/** @type {import("esbuild").Plugin} */
const sourceLocations = {
  name: "source-locations",
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!text.includes("import.meta.url")) return undefined;
      const fromOut = relative(OUT, args.path).split("\\").join("/");
      return {
        contents: text.replaceAll(
          "import.meta.url",
          `new URL(${JSON.stringify(fromOut)}, import.meta.url).href`,
        ),
        loader: "ts",
      };
    });
  },
};

// Packages stay in node_modules, imported at run time, except those bundled here: TypeBox is
// about 700 ES modules, and resolving and compiling them one by one was ~0.35 s of CPU at every
// start of the service. It is plain JavaScript with no files of its own to find at run time.
const BUNDLED_PACKAGES = new Set(["typebox"]);

/** @type {import("esbuild").Plugin} */
const dependenciesExternal = {
  name: "dependencies-external",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("node:")) return { path: args.path, external: true };
      const parts = args.path.split("/");
      const name = args.path.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
      return BUNDLED_PACKAGES.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};

// dist/web is the web app's own build (scripts/build-web.mjs), and the database template
// depends only on the PGlite version and the migrations (it is named after them): both kept, the
// rest replaced.
for (const name of existsSync(OUT) ? readdirSync(OUT) : []) {
  if (name !== "web" && !name.startsWith("pglite-template-")) {
    rmSync(resolve(OUT, name), { recursive: true, force: true });
  }
}
// Before the build reads anything: a source saved during the build then counts as newer.
const startedAt = Date.now();
const common = {
  absWorkingDir: ROOT,
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  // pool.ts forks dist/worker.js (without tsx) when it runs from the bundle.
  define: { PACKETLAB_BUILD: '"dist"' },
  metafile: true,
  logLevel: "warning",
  plugins: [sourceLocations, dependenciesExternal],
};
const service = await build({
  ...common,
  entryPoints: {
    cli: "src/cli.ts",
    "pglite-template": "src/progress/pglite-template.ts",
  },
  // Names stay as written: they appear in logs and in stack traces of the service's own errors.
  keepNames: true,
});
// The sandbox worker and the network it loads, apart: keepNames wraps every function and class
// that a run creates (the bridge's, the network's and its peers' closures) in a call that
// redefines its `name`, ~3.6 % of a worker's CPU. Without it a function keeps the name V8 reads
// from the source, which is the name as written except where the bundler renamed one to avoid a
// clash (`kit2` for `kit`): only the worker's own stack traces can show such a name.
const worker = await build({
  ...common,
  entryPoints: {
    worker: "src/runner/worker.ts",
    netsim: "src/netsim/index.ts",
  },
  entryNames: "[name]",
  chunkNames: "worker-[name]-[hash]",
  keepNames: false,
});
const result = {
  metafile: { inputs: { ...service.metafile.inputs, ...worker.metafile.inputs } },
};

// What bin/packetlab.js checks before trusting dist/: every local file the bundle was made from.
// package-lock.json stands for the bundled packages: installing another version changes it.
const inputs = [
  ...Object.keys(result.metafile.inputs).filter((path) => !path.includes("node_modules")),
  ...(existsSync(resolve(ROOT, "package-lock.json")) ? ["package-lock.json"] : []),
];
writeFileSync(
  resolve(OUT, "build-info.json"),
  JSON.stringify({ builtAt: startedAt, inputs }, null, 1) + "\n",
);
console.log(`packetlab build: dist/ from ${inputs.length} source files`);

// The lessons' modules (topology.ts, checks.ts), bundled as the service would bundle each at
// start-up (src/grading/loader/checks-module.ts), with a manifest of the files each was made from
// and their SHA-256, which the service checks before using a copy (prebuilt.ts).
const LESSONS = resolve(ROOT, "lessons");
const lessonModules = [];
const findLessonModules = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = resolve(dir, entry.name);
    if (entry.isDirectory() && !/^[._]/.test(entry.name) && entry.name !== "wrong") {
      findLessonModules(path);
    } else if (entry.name === "topology.ts" || entry.name === "checks.ts") {
      lessonModules.push(relative(ROOT, path).split("\\").join("/"));
    }
  }
};
if (existsSync(LESSONS)) findLessonModules(LESSONS);
// A lesson that does not bundle fails no build: the service then reports it as it loads.
const lessonOut = resolve(OUT, "lessons");
const built =
  lessonModules.length === 0
    ? undefined
    : await build({
        absWorkingDir: ROOT,
        entryPoints: lessonModules,
        outbase: ROOT,
        outdir: lessonOut,
        bundle: true,
        // The grading kit once for every lesson, as when the modules run from source.
        splitting: true,
        chunkNames: "chunks/[name]-[hash]",
        format: "esm",
        platform: "node",
        target: "node20",
        metafile: true,
        logLevel: "silent",
      }).catch((error) => {
        console.log(
          `packetlab build: lessons not prebuilt: ${String(error.message).split("\n")[0]}`,
        );
        return undefined;
      });
if (built) {
  const sha256 = (path) =>
    createHash("sha256")
      .update(readFileSync(resolve(ROOT, path)))
      .digest("hex");
  const { outputs } = built.metafile;
  const inputsOf = (output, into) => {
    for (const input of Object.keys(outputs[output].inputs)) into[input] ??= sha256(input);
    for (const { path, kind } of outputs[output].imports) {
      if (kind === "import-statement" && outputs[path]) inputsOf(path, into);
    }
    return into;
  };
  const modules = {};
  for (const [output, { entryPoint }] of Object.entries(outputs)) {
    if (!entryPoint) continue;
    modules[entryPoint] = {
      output: relative(lessonOut, resolve(ROOT, output)).split("\\").join("/"),
      inputs: inputsOf(output, {}),
    };
  }
  writeFileSync(resolve(lessonOut, "manifest.json"), JSON.stringify({ modules }, null, 1) + "\n");
  console.log(`packetlab build: dist/lessons/ (${lessonModules.length} lesson modules)`);
}

// The embedded database's template for new data directories (src/progress/pglite-template.ts):
// initdb and the migrations once here instead of at every first start. Templates of other PGlite
// versions or other migrations are removed.
const { makeTemplate, templatePath } = await import("../dist/pglite-template.js");
// Read once: the path hashes every migration file.
const template = templatePath(OUT);
for (const name of readdirSync(OUT)) {
  if (name.startsWith("pglite-template-") && resolve(OUT, name) !== template) {
    rmSync(resolve(OUT, name), { force: true });
  }
}
if (!existsSync(template)) {
  // Written whole or not at all: a template cut short would fail every new data directory.
  writeFileSync(`${template}.partial`, await makeTemplate());
  renameSync(`${template}.partial`, template);
}
console.log(`packetlab build: ${relative(ROOT, template)}`);
