// Builds the service worker with Workbox (generateSW), from a JSON config on stdin written
// by app/offline/build.py: the static folder, its fingerprinted URL prefix, where to write,
// our page-handling script, and the build mark that opens the file.
import { readFileSync, writeFileSync } from "node:fs";
import { generateSW } from "workbox-build";

const config = JSON.parse(readFileSync(0, "utf8"));
const { count, size, warnings } = await generateSW({
  globDirectory: config.globDirectory,
  // The app's own files; a vendored model or library of megabytes (the mirror's) is left to the network.
  globPatterns: ["**/*.{css,js,mjs,svg,png,woff2,json}"],
  globIgnores: ["vendor/mediapipe/**"],
  maximumFileSizeToCacheInBytes: 512 * 1024,
  modifyURLPrefix: { "": config.urlPrefix },
  // Every URL carries the folder's fingerprint, so its content never changes.
  dontCacheBustURLsMatching: /^\/static\/[0-9a-f]+\//,
  swDest: config.swDest,
  importScripts: [config.importScript],
  inlineWorkboxRuntime: true,
  mode: "production",
  sourcemap: false,
  cleanupOutdatedCaches: true,
  // A new build waits until the visitor accepts it (workbox-window's messageSkipWaiting), so a
  // page never runs with one build's files and the other's service worker; the first one
  // takes the open page at once.
  skipWaiting: false,
  clientsClaim: true,
});
for (const warning of warnings) console.warn(warning);
const source = readFileSync(config.swDest, "utf8");
writeFileSync(config.swDest, `${config.mark}\n${source}`);
console.log(`${count} files, ${size} bytes precached`);
