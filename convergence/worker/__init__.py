"""The worker: runs check_resource nodes for whichever traversal sends them."""
