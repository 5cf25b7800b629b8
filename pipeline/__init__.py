"""A Dutch NLP pipeline that turns summit declarations into data.

    import pipeline
    corpus = pipeline.process(["corpus/"])      # -> Corpus: .documents, .segments, ... .docs
    pipeline.write(corpus, "outputs/")
"""
__version__ = "0.1.0"


def __getattr__(name):  # keep `import pipeline` light: spaCy loads on first use
    if name in ("process", "process_file", "process_text", "write", "Corpus", "Options"):
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
