// Builds the service worker with Workbox (generateSW), from a JSON config on stdin written
// by app/offline/build.py: the static folder, its fingerprinted URL prefix, where to write,
// our page-handling script, and the build mark that opens the file.
import { readFileSync, writeFileSync } from "node:fs";
import { generateSW } from "workbox-build";

const config = JSON.parse(readFileSync(0, "utf8"));
const { count, size, warnings } = await generateSW({
  globDirectory: config.globDirectory,
  // The app's own files (the mirror's model is served apart from them, below).
  globPatterns: ["**/*.{css,js,mjs,svg,png,woff2,json}"],
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
  // Mirror mode's model (app/mirror: megabytes, outside the player's budget), kept once Mirror
  // has been on. Its URLs carry the model's own fingerprint, so a cached file never goes stale,
  // and the cache outlives the site's builds: a style change does not fetch 10 MB again.
  runtimeCaching: [{
    urlPattern: ({ url }) => url.pathname.startsWith("/mirror/model/"),
    handler: "CacheFirst",
    options: { cacheName: "mirror-model", expiration: { maxEntries: 24 }, cacheableResponse: { statuses: [200] } },
  }],
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
