"""Run the whole pipeline on one machine: servers, processor, sink, producer, progress."""
