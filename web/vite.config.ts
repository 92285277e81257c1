// The web app's build: Preact through Vite's own JSX transform (no Babel), into dist/web, which
// src/http/web-app.ts serves. Assets get content hashes, so they may be cached for good.
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  resolve: { alias: { react: "preact/compat", "react-dom": "preact/compat" } },
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    reportCompressedSize: false,
    // CodeMirror is one lazy chunk of ~500 kB (~165 kB gzip), loaded with the editor.
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npx vite web` during development: the API is the service on :3000.
    proxy: {
      "/v1": { target: "http://127.0.0.1:3000", ws: true },
      "/docs": "http://127.0.0.1:3000",
    },
  },
});
