"""Fine-tuning multilingual-e5-small: LoRA adapters and multi-task heads, trained offline.

`tasks`, `pack` and `adapter` need numpy only: the labelled data, the training pack a GPU machine
reads, and the committed artifact (LoRA matrices, LayerNorms, heads) with its merge into the base
weights. `model` and `train` need torch (the `train` extra): the BERT encoder built from
`ediplomacy.nlp.e5_weights.load_e5_weights`, LoRA layers and the training loop, driven by
`scripts/train_encoder.py`.
"""
