"""`campaigns ci …`: what a CI job does around plan and apply, for GitHub and GitLab alike:
one sticky comment per environment on the pull or merge request (`comment`), and the state
committed and pushed back (`commit`)."""
