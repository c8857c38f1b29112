"""The closed vocabularies: framework steps, node kinds, colours, icons, directions, image formats.

Plain data with no imports, so the command line can offer them as choices
without loading the spec or rendering machinery.
"""

STEPS = ("requirements", "framing", "data", "model", "evaluation", "serving", "monitoring")
STEP_TITLES = {
    "requirements": "Clarifying requirements",
    "framing": "Framing the problem as an ML task",
    "data": "Data preparation",
    "model": "Model development",
    "evaluation": "Evaluation",
    "serving": "Deployment and serving",
    "monitoring": "Monitoring and infrastructure",
}
KINDS = (
    # system design
    "actor", "client", "input", "output", "service", "step", "model", "store", "queue", "data", "external", "note",
    # model architecture
    "layer", "tensor", "op", "loss",
)
KIND_HELP = {
    "actor": "a person (drawn as a person pictogram)",
    "client": "an app or device (phone pictogram)",
    "input": "what enters the system (pink)",
    "output": "what the system returns",
    "service": "a running component (rounded box)",
    "step": "a processing step inside a pipeline",
    "model": "a trained model (cloud pictogram)",
    "store": "a table, index, feature store or object storage (cylinder)",
    "queue": "a stream or message queue such as Kafka",
    "data": "a dataset or a table of records",
    "external": "a system outside the design",
    "note": "a free-text annotation",
    "layer": "a network layer (model diagrams)",
    "tensor": "features, embeddings or other values flowing through a model",
    "op": "an operation: dot product, concatenation, sigmoid, softmax",
    "loss": "a loss function",
}
COLORS = ("green", "pink", "purple", "yellow", "blue", "cream", "grey", "orange")
DIRECTIONS = ("LR", "TB", "BT", "RL")
EDGE_STYLES = ("solid", "dashed", "dotted", "bold")
ICONS = ("person", "phone", "cloud", "image", "video", "post", "listing", "text", "ad", "event", "graph", "laptop")
ARROWS = ("->", "<->", "--")
REVEAL_BY = ("group", "step")
IMAGE_FORMATS = ("svg", "png", "pdf")
DEFAULT_FORMATS = ("svg", "png")
CSS_DPI = 96  # scale 1 is one CSS pixel per SVG pixel: what a browser shows at 100 %
SIZE_RATIO = r"^([1-9][0-9]?):([1-9][0-9]?)$"  # --size W:H
# What a component does in an ML system; `mlsd-diagrams lint` infers it from labels and kinds, and a node's
# `role:` states it when the label says too little ("none": the label's words are misleading, infer nothing).
ROLES = ("retrieval", "nn-search", "index", "indexer", "ranking", "reranking", "encoder", "features",
         "feature-store", "training", "training-data", "interactions", "monitoring", "none")
# The ML design rules of `mlsd-diagrams lint`, by id (a spec or diagram silences one with lint: {ignore: [id]}).
LINT_RULES = ("ranking-without-retrieval", "nn-without-index", "index-never-filled", "recommendation-without-rerank",
              "online-features-without-store", "model-without-training", "continual-learning-without-loop",
              "model-without-loss", "no-monitoring")
