"""Character n-grams within words, as scikit-learn's ``analyzer="char_wb"`` makes them, for
``TfidfVectorizer(analyzer=WordNgrams(...))``.

Every word is padded with one space on either side and cut into its n-grams; no n-gram crosses
a word boundary. Declarations repeat their words, so each word's n-grams are computed once
and kept in the analyzer (bounded, never saved with the model): the features are those of
``char_wb``, the cost a dictionary look-up per word.
"""

from __future__ import annotations

MAX_WORDS = 200_000  # bounds the memory of a long-running worker


class WordNgrams:
    """A callable ``analyzer`` for scikit-learn's text vectorizers: text -> its n-grams."""

    def __init__(self, ngram_range: tuple[int, int] = (3, 5), lowercase: bool = True):
        self.ngram_range = tuple(ngram_range)
        self.lowercase = lowercase
        self._words: dict[str, list[str]] = {}

    def word_ngrams(self, word: str) -> list[str]:
        """The n-grams of one word, shortest first, as ``char_wb`` lists them."""
        min_n, max_n = self.ngram_range
        padded = f" {word} "
        grams: list[str] = []
        for n in range(min_n, max_n + 1):
            grams.extend(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
            if len(padded) <= n:  # a short word is counted once, whole
                break
        return grams

    def __call__(self, text: str) -> list[str]:
        if self.lowercase:
            text = text.lower()
        words = self._words
        out: list[str] = []
        for word in text.split():
            grams = words.get(word)
            if grams is None:
                if len(words) > MAX_WORDS:
                    words.clear()
                grams = words[word] = self.word_ngrams(word)
            out.extend(grams)
        return out

    # the parameters are the state: the word cache is rebuilt where the analyzer is used
    def __getstate__(self) -> dict:
        return {"ngram_range": list(self.ngram_range), "lowercase": self.lowercase}

    def __setstate__(self, state: dict) -> None:
        self.ngram_range = tuple(state["ngram_range"])
        self.lowercase = state["lowercase"]
        self._words = {}

    def __eq__(self, other) -> bool:
        return isinstance(other, WordNgrams) and self.__getstate__() == other.__getstate__()

    def __hash__(self) -> int:
        return hash((self.ngram_range, self.lowercase))

    def __repr__(self) -> str:
        return f"WordNgrams(ngram_range={self.ngram_range}, lowercase={self.lowercase})"
