"""The site layer: job flows, the project folder, its lock and its journal."""
