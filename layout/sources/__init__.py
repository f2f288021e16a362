"""Load & validate: hand-written sources as typed models, or every problem located."""
