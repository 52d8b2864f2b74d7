"""The use cases, one module per concern. Each takes values (a Context: config, plan, the
moment) and returns result objects; none prints, prompts or reads the clock itself."""
