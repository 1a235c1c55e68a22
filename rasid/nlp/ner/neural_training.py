"""Training of the convolutional tagger (`neural.py`) with torch (CPU, deterministic); export to .npz.

torch is needed only here (the `train` extra); the shipped model is numpy weights.
Gazetteer inputs are jackknifed like the CRF's (`gazetteer.jackknife`): a
sentence sees the name list built from the other folds.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

from rasid.nlp.ner.conll import TaggedSentence
from rasid.nlp.ner.model_files import write_arrays
from rasid.nlp.ner.neural import (
    MAX_CHARS,
    TAGGED_DIM,
    base_form,
    char_ids,
    gazetteer_vector,
    tagged_vector,
)
from rasid.nlp.ner.wordkey import word_key


def _alphabet(sentences: Sequence[TaggedSentence], min_count: int = 3) -> str:
    counts = Counter(c for s in sentences for t in s.tokens for c in word_key(t))
    return "".join(sorted(c for c, n in counts.items() if n >= min_count))


def train_conv_tagger(
    sentences: Sequence[TaggedSentence],
    gazetteers: Sequence[Mapping[str, Sequence[str]]],
    vocab: Sequence[str],
    vectors: np.ndarray,
    out_path: Path,
    epochs: int = 12,
    hidden: int = 128,
    seed: int = 13,
    dilations: Sequence[int] = (1,),
    log: Callable[[str], None] = print,
    tagged: Mapping[str, Sequence[int]] | None = None,
) -> None:
    """Train on `sentences` (fold k of `len(gazetteers)` contiguous blocks sees `gazetteers[k]`); write `out_path`."""
    import torch
    from torch import nn

    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    rng = np.random.default_rng(seed)

    labels = sorted({t for s in sentences for t in s.tags})
    label_index = {t: i for i, t in enumerate(labels)}
    alphabet = _alphabet(sentences)
    letters = {c: i + 4 for i, c in enumerate(alphabet)}
    word_index = {w: i + 1 for i, w in enumerate(vocab)}
    size = -(-len(sentences) // len(gazetteers))

    def encode(i: int, s: TaggedSentence):
        keys = [word_key(t) for t in s.tokens]
        gaz = gazetteers[i // size]
        words = [word_index.get(k, 0) for k in keys]
        bases = [word_index.get(base_form(k, word_index), 0) for k in keys]
        chars = [char_ids(k, letters) for k in keys]
        g = np.stack([gazetteer_vector(k, gaz) for k in keys])
        if tagged is not None:
            g = np.concatenate([g, np.stack([tagged_vector(k, tagged) for k in keys])], axis=1)
        return words, bases, chars, g, [label_index[t] for t in s.tags]

    data = [encode(i, s) for i, s in enumerate(sentences)]
    # Rounded to float16 as shipped, so training sees exactly the vectors inference will.
    emb = np.vstack([np.zeros((1, vectors.shape[1]), np.float32), vectors]).astype(np.float16).astype(np.float32)

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.Embedding.from_pretrained(torch.from_numpy(emb), freeze=True)
            self.chars = nn.Embedding(len(alphabet) + 4, 32, padding_idx=0)
            self.char_conv = nn.Conv1d(32, 64, 3, padding=1)
            word_dim = 2 * emb.shape[1] + 64 + gazetteer_vector("", {}).shape[0] + (TAGGED_DIM if tagged is not None else 0)
            self.drop_in = nn.Dropout(0.5)
            self.conv1 = nn.Conv1d(word_dim, hidden, 3, padding=1)
            self.upper = nn.ModuleList(nn.Conv1d(hidden, hidden, 3, padding=d, dilation=d) for d in dilations)
            self.drop = nn.Dropout(0.3)
            self.out = nn.Linear(hidden, len(labels))

        def forward(self, words, bases, chars, gaz, mask):
            b, n, c = chars.shape
            ch = self.chars(chars.view(b * n, c)).transpose(1, 2)  # (bn, 32, c)
            ch = torch.relu(self.char_conv(ch))
            ch = ch.masked_fill((chars.view(b * n, c) == 0)[:, None, :], -1e4).max(2).values.view(b, n, -1)
            ch = ch * mask[:, :, None]  # padded tokens: zero input
            x = torch.cat([self.emb(words), self.emb(bases), ch, gaz], dim=2)
            x = self.drop_in(x).transpose(1, 2)
            h = torch.relu(self.conv1(x)) * mask[:, None, :]
            for conv in self.upper:
                h = torch.relu(conv(self.drop(h))) * mask[:, None, :]
            return self.out(self.drop(h.transpose(1, 2)))

    net = Net()
    optimiser = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=2e-3)
    loss_fn = nn.CrossEntropyLoss(ignore_index=-1)
    batch = 16
    for epoch in range(epochs):
        net.train()
        order = rng.permutation(len(data))
        total = 0.0
        for start in range(0, len(order), batch):
            items = [data[j] for j in order[start : start + batch]]
            n = max(len(it[0]) for it in items)
            c = min(MAX_CHARS, max(len(ch) for it in items for ch in it[2]))
            words = np.zeros((len(items), n), np.int64)
            bases = np.zeros((len(items), n), np.int64)
            chars = np.zeros((len(items), n, c), np.int64)
            gaz = np.zeros((len(items), n, items[0][3].shape[1]), np.float32)
            target = np.full((len(items), n), -1, np.int64)
            for r, (w, bs, ch, g, y) in enumerate(items):
                m = len(w)
                # Word dropout: the network must also tag from letters alone.
                drop = rng.random(m) < 0.1
                words[r, :m] = np.where(drop, 0, w)
                bases[r, :m] = np.where(drop, 0, bs)
                for t, ids in enumerate(ch):
                    chars[r, t, : len(ids)] = ids
                gaz[r, :m] = g
                target[r, :m] = y
            mask = torch.from_numpy((target >= 0).astype(np.float32))
            logits = net(*(torch.from_numpy(a) for a in (words, bases, chars, gaz)), mask)
            loss = loss_fn(logits.reshape(-1, len(labels)), torch.from_numpy(target).reshape(-1))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item() * len(items)
        log(f"conv tagger epoch {epoch + 1}/{epochs}: loss {total / len(data):.4f}")

    def arr(t) -> np.ndarray:
        return t.detach().numpy().astype(np.float32)

    meta = json.dumps({"vocab": list(vocab), "alphabet": alphabet, "labels": labels, "dilations": list(dilations),
                       "tagged_inputs": tagged is not None}, ensure_ascii=False)
    write_arrays(
        out_path,
        {
            "embeddings": emb.astype(np.float16),
            "char_embeddings": arr(net.chars.weight),
            "char_conv": arr(net.char_conv.weight),
            "char_bias": arr(net.char_conv.bias),
            "conv1": arr(net.conv1.weight),
            "conv1_bias": arr(net.conv1.bias),
            **{f"conv{i}": arr(conv.weight) for i, conv in enumerate(net.upper, start=2)},
            **{f"conv{i}_bias": arr(conv.bias) for i, conv in enumerate(net.upper, start=2)},
            "out": arr(net.out.weight),
            "out_bias": arr(net.out.bias),
            "meta_json": np.array(meta),
        },
    )
