"""``convergence``: the friendly CLI (apply, watch, graph) over REST."""
