"""A commitment row of the commitments table, as the tracking tests build their small series."""


def commitment_row(doc_id, sentence_id, k, action, obj, *deadlines):
    return {
        "doc_id": doc_id,
        "segment_id": sentence_id.split(".")[0],
        "sentence_id": sentence_id,
        "commitment_id": f"{sentence_id}.c{k}",
        "actors": ["eu", "partners"],
        "action": action,
        "object": obj,
        "strength": "strong",
        "conditional": False,
        "deadlines": list(deadlines),
    }
