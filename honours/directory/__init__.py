"""The intellectuals & experts database (secretariat): search, profiles, duplicates and merges, the national
export. It reads nominations and referrals, so it sits above them; the person records themselves (honours.people)
sit below both."""
