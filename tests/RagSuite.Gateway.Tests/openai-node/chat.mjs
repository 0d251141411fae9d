// Drives the gateway's OpenAI-compatible API with the official OpenAI JavaScript SDK, as an app would.
// Usage: node chat.mjs <base URL, e.g. http://127.0.0.1:8080/v1> <model, e.g. rag:docs> <question>
// Prints one JSON object: the non-streamed answer, the streamed one, the model list, and how an unknown model fails.
import OpenAI from 'openai';

const [baseURL, model, question] = process.argv.slice(2);
if (!baseURL || !model || !question) {
  console.error('usage: node chat.mjs <base-url> <model> <question>');
  process.exit(2);
}
// The gateway asks for no key; the SDK insists on one. No retries: a failure should show at once.
const client = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0, timeout: 60_000 });
const messages = [{ role: 'user', content: question }];

const completion = await client.chat.completions.create({ model, messages });

const stream = await client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } });
const streamed = { ids: [], role: null, content: '', finish_reason: null, citations: null, ragsuite: null, usage: null };
for await (const chunk of stream) {
  streamed.ids.push(chunk.id);
  for (const choice of chunk.choices) {
    streamed.role ??= choice.delta.role ?? null;
    streamed.content += choice.delta.content ?? '';
    streamed.finish_reason = choice.finish_reason ?? streamed.finish_reason;
  }
  streamed.citations ??= chunk.citations ?? null;
  streamed.ragsuite ??= chunk.ragsuite ?? null;
  streamed.usage = chunk.usage ?? streamed.usage;
}

const models = [];
for await (const m of client.models.list()) models.push(m.id);

let unknown = null;
try {
  await client.chat.completions.create({ model: 'rag:no-such-collection', messages });
} catch (error) {
  unknown = { status: error.status, type: error.type, code: error.code, param: error.param, message: error.message };
}

console.log(JSON.stringify({
  completion: {
    id: completion.id,
    model: completion.model,
    content: completion.choices[0].message.content,
    finish_reason: completion.choices[0].finish_reason,
    usage: completion.usage,
    citations: completion.citations,
    ragsuite: completion.ragsuite,
  },
  streamed,
  models,
  unknown,
}));
