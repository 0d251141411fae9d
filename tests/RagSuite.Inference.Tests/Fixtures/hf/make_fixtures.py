# Regenerates the tiny Hugging Face ONNX exports the embedder tests load, and the reference outputs
# transformers and sentence-transformers compute for them. Random weights (fixed seeds): these models
# check the mechanics of loading a real export (folder layout, tokenizer files, input and output
# names, pooling), not retrieval quality. Run with python3 in this folder (torch, transformers,
# sentence-transformers and onnxruntime installed); vocab.txt must exist beside it. Each folder's
# ragsuite-model.json is written by hand and survives a rerun, which only overwrites the files it makes.
import json
import os
import shutil
import tempfile

import numpy as np
import onnxruntime
import torch
from sentence_transformers import SentenceTransformer, models
from tokenizers import BertWordPieceTokenizer
from transformers import BertConfig, BertForSequenceClassification, BertModel, PreTrainedTokenizerFast

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_LENGTH = 48

SENTENCES = [
    "A man is playing a guitar.",
    "The stock market fell sharply today.",
    "How do I reset my password?",
    "Héllo Wörld, naïve café!",
    "Supersonic flow over a flat plate; boundary-layer transition at Mach 2.5.",
    "what is the lift of a wing",
    "中文 text mixed with English words",
    "UPPER CASE AND lower case",
    "numbers 1 22 333 4444 and symbols @#$%",
    "an unusually long sentence " + " ".join(["about the boundary layer and the pressure distribution"] * 12),
]

PAIRS = [
    ("what is the lift of a wing", "The lift of a wing depends on its area and the angle of attack."),
    ("what is the lift of a wing", "The stock market fell sharply today."),
    ("who built the gate", "The Brandenburg Gate in Berlin was built from 1788 to 1791."),
    ("heat transfer", "an unusually long passage " + " ".join(["about heat transfer in the boundary layer"] * 12)),
    ("Héllo?", "naïve café"),
]


def config(**extra):
    vocab = sum(1 for _ in open(os.path.join(HERE, "vocab.txt"), encoding="utf-8"))
    return BertConfig(vocab_size=vocab, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                      intermediate_size=64, max_position_embeddings=64, type_vocab_size=2, **extra)


def export(model, folder, inputs, outputs):
    os.makedirs(folder, exist_ok=True)
    names = list(inputs)
    dynamic = {n: {0: "batch", 1: "sequence"} for n in names}
    for o in outputs:
        dynamic[o] = {0: "batch", 1: "sequence"} if o == "last_hidden_state" else {0: "batch"}
    torch.onnx.export(model, tuple(inputs.values()), os.path.join(folder, "model.onnx"), input_names=names,
                      output_names=outputs, dynamic_axes=dynamic, opset_version=17, dynamo=False)


class Encoder(torch.nn.Module):
    """Calls the model by keyword, as optimum's export does, and returns the one output exported."""

    def __init__(self, model, output):
        super().__init__()
        self.model = model
        self.output = output

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
        return getattr(self.model(input_ids=input_ids, attention_mask=attention_mask, **extra), self.output)


def main():
    # Built with the tokenizers library itself: BertTokenizerFast(vocab_file=...) silently ignores the file in transformers 5.
    wordpiece = BertWordPieceTokenizer(os.path.join(HERE, "vocab.txt"), lowercase=True)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=wordpiece._tokenizer, model_max_length=MAX_LENGTH, unk_token="[UNK]",
                                        cls_token="[CLS]", sep_token="[SEP]", pad_token="[PAD]", mask_token="[MASK]",
                                        model_input_names=["input_ids", "token_type_ids", "attention_mask"])
    assert tokenizer.vocab_size > 1000 and tokenizer("wing")["input_ids"][1] != tokenizer.unk_token_id
    references = {"max_length": MAX_LENGTH}

    # Sentence encoder, exported with token_type_ids (as optimum exports BERT) and without (as for DistilBERT-like models).
    torch.manual_seed(7)
    bert = BertModel(config(), add_pooling_layer=False).eval()
    encoded = tokenizer(SENTENCES, padding=True, truncation=True, max_length=MAX_LENGTH, return_tensors="pt")
    # References first: after a TorchScript export the exported module no longer computes what it did.
    with torch.no_grad():
        hidden = bert(**encoded).last_hidden_state
    for folder, with_types in (("tiny-bert", True), ("tiny-bert-no-token-types", False)):
        path = os.path.join(HERE, folder)
        tokenizer.save_pretrained(path)
        bert.config.save_pretrained(path)
        if not with_types:
            # This one ships vocab.txt instead of tokenizer.json, as older exports do.
            shutil.copy(os.path.join(HERE, "vocab.txt"), path)
            os.remove(os.path.join(path, "tokenizer.json"))
        names = ("input_ids", "attention_mask", "token_type_ids") if with_types else ("input_ids", "attention_mask")
        export(Encoder(bert, "last_hidden_state"), path, {k: encoded[k] for k in names}, ["last_hidden_state"])
    mask = encoded["attention_mask"].unsqueeze(-1).float()
    mean = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)
    cls = torch.nn.functional.normalize(hidden[:, 0], dim=-1)

    # The same numbers through sentence-transformers' own pooling, and through ONNX Runtime on the export.
    with tempfile.TemporaryDirectory() as weights:
        bert.save_pretrained(weights)
        tokenizer.save_pretrained(weights)
        st = SentenceTransformer(modules=[models.Transformer(weights, max_seq_length=MAX_LENGTH),
                                          models.Pooling(32, pooling_mode="mean"), models.Normalize()], device="cpu")
    st_mean = st.encode(SENTENCES, convert_to_numpy=True)
    session = onnxruntime.InferenceSession(os.path.join(HERE, "tiny-bert", "model.onnx"))
    ort_hidden = session.run(None, {k: encoded[k].numpy() for k in ("input_ids", "attention_mask", "token_type_ids")})[0]
    real = encoded["attention_mask"].numpy().astype(bool)
    print("sentence-transformers vs torch, mean pooling, per sentence:", np.abs(st_mean - mean.numpy()).max(axis=1).round(6).tolist())
    print("onnxruntime vs torch, hidden states at real tokens:", float(np.abs(ort_hidden - hidden.numpy())[real].max()))

    references["sentences"] = [
        {"text": s, "ids": [int(i) for i, m in zip(ids, am) if m], "mean": mean[n].tolist(), "cls": cls[n].tolist()}
        for n, (s, ids, am) in enumerate(zip(SENTENCES, encoded["input_ids"].tolist(), encoded["attention_mask"].tolist()))
    ]

    # Cross-encoder: one relevance logit per (query, passage) pair.
    torch.manual_seed(11)
    cross = BertForSequenceClassification(config(num_labels=1)).eval()
    # A wider head than the 0.02 initialiser gives, so that different pairs get clearly different logits.
    torch.nn.init.normal_(cross.classifier.weight, std=1.0)
    pairs = tokenizer([q for q, _ in PAIRS], [p for _, p in PAIRS], padding=True, truncation=True, max_length=MAX_LENGTH, return_tensors="pt")
    path = os.path.join(HERE, "tiny-cross-encoder")
    tokenizer.save_pretrained(path)
    cross.config.save_pretrained(path)
    with torch.no_grad():
        logits = cross(**pairs).logits[:, 0]
    export(Encoder(cross, "logits"), path, {k: pairs[k] for k in ("input_ids", "attention_mask", "token_type_ids")}, ["logits"])
    session = onnxruntime.InferenceSession(os.path.join(path, "model.onnx"))
    ort_logits = session.run(None, {k: pairs[k].numpy() for k in ("input_ids", "attention_mask", "token_type_ids")})[0][:, 0]
    print("onnxruntime vs torch, cross-encoder logits:", float(np.abs(ort_logits - logits.numpy()).max()))
    references["pairs"] = [
        {"query": q, "passage": p, "ids": [int(i) for i, m in zip(ids, am) if m],
         "type_ids": [int(t) for t, m in zip(types, am) if m], "logit": float(logits[n])}
        for n, ((q, p), ids, types, am) in enumerate(zip(PAIRS, pairs["input_ids"].tolist(), pairs["token_type_ids"].tolist(),
                                                          pairs["attention_mask"].tolist()))
    ]

    with open(os.path.join(HERE, "references.json"), "w", encoding="utf-8") as f:
        json.dump(references, f, ensure_ascii=False, indent=1)
    for folder in ("tiny-bert", "tiny-bert-no-token-types", "tiny-cross-encoder"):
        print(folder, sorted(os.listdir(os.path.join(HERE, folder))))


if __name__ == "__main__":
    main()
