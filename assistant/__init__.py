"""One chat turn: language, PII masking, slots, dialogue state, policy, skills, replies."""
