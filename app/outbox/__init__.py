"""Qt-free messaging: HL7v3/KMEHR builders, acknowledgement parsing, the queue, transport, receiver stand-in."""
