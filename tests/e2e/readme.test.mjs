// The README's JavaScript example runs as written and prints what it says.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";

const ROOT = new URL("../../", import.meta.url).pathname;

test("README JavaScript example", () => {
  const readme = readFileSync(`${ROOT}README.md`, "utf8");
  const block = readme.match(/```js\n([\s\S]*?)```/);
  assert.ok(block, "README has a ```js example");
  const expected = [...block[1].matchAll(/\/\/ prints (.*)$/gm)].map((m) => m[1].trim());
  assert.ok(expected.length > 0, "the example says what it prints");
  const file = `${ROOT}.readme-example.mjs`;
  writeFileSync(file, block[1]);
  try {
    const out = execFileSync("node", [file], { cwd: ROOT }).toString().trim().split("\n");
    assert.deepEqual(out, expected);
  } finally {
    rmSync(file);
  }
});
