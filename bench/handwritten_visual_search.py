"""The visual-search serving design written by hand with the `diagrams` library: the peer to beat.

    python bench/handwritten_visual_search.py OUT_DIR

Same components, groups and edges as specs/visual_search.yaml's `system` diagram, drawn the way a
`diagrams` user would write it (generic nodes; the library's own renderer writes PNG into the cwd).
"""

import os
import sys

from diagrams import Cluster, Diagram, Edge
from diagrams.generic.blank import Blank
from diagrams.generic.storage import Storage

os.chdir(sys.argv[1] if len(sys.argv) > 1 else ".")
with Diagram("Visual search - ML system design", filename="system", show=False, direction="LR",
             outformat="png", curvestyle="curved"):
    model = Blank("Trained model")
    index = Storage("Index table")
    with Cluster("Prediction pipeline"):
        query = Blank("Query image")
        preprocess = Blank("Preprocessing")
        embedding = Blank("Embedding generation service")
        nn = Blank("Nearest neighbor service")
        rerank = Blank("Re-ranking service")
        results = Blank("Similar images")
    with Cluster("Indexing pipeline"):
        new_images = Blank("New images")
        storage = Storage("Object storage")
        indexing = Blank("Indexing service")
    query >> preprocess >> embedding
    model >> Edge(style="dashed") >> embedding
    embedding >> Edge(label="query embedding") >> nn
    nn >> Edge(style="dashed") << index
    nn >> rerank >> results
    new_images >> storage >> indexing
    model >> Edge(style="dashed") >> indexing
    indexing >> Edge(label="image embeddings") >> index
