"""The person's rights online: what is held about them, their requests (access, correction, deletion, restriction,
objection, withdrawal of consent) and the secretariat's inbox that answers them; the record of processing."""
