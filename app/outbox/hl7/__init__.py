"""HL7v3 messages of the Nictiz JGZ standard: builders and parsers."""
