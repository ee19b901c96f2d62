"""One stack tree's users in the stack user domain (cloud_ports.StackUsers).

Heat's StackUser mixin acts on the stack's ``stack_user_project_id``,
making the project on first need.  Here the tree's project is recorded on
its credentials row (``user_creds.stack_user_project_id``) by
compare-and-swap: two resources of a tree making their users at once on
two engines make two projects, one is recorded, and the loser deletes its
own and uses the winner's.  The domain (Keystone, or its in-memory twin)
does the calls; this module only binds them to the tree.
"""

import logging

from convergence.clients import errors

LOG = logging.getLogger(__name__)


class CredsProject:
    """The tree's project as its user_creds row records it."""

    def __init__(self, db, creds_id: str):
        self.db, self.creds_id = db, creds_id

    def get(self) -> str | None:
        creds = self.db.user_creds_get(self.creds_id)
        return None if creds is None else creds['stack_user_project_id']

    def set_if_unset(self, project_id: str) -> str | None:
        return self.db.user_creds_set_project(self.creds_id, project_id)


class StackUsers:
    """The users of one stack tree, in its domain project."""

    def __init__(self, domain, project, tenant: str, stack_id: str):
        self.domain, self.project = domain, project
        self.tenant, self.stack_id = tenant, stack_id

    @property
    def auth_url(self) -> str:
        """Keystone v3, where the users' agents authenticate."""
        return self.domain.domain.auth_url

    def project_id(self) -> str:
        """The tree's domain project, made now if it has none."""
        current = self.project.get()
        if current:
            return current
        made = self.domain.create_project(self.tenant, self.stack_id)
        kept = self.project.set_if_unset(made)
        if kept != made:
            # Another resource of the tree recorded its project first (or
            # the tree's credentials went with its delete).
            LOG.info('stack %s: dropping project %s, the tree has %s',
                     self.stack_id, made, kept)
            self.domain.delete_project(made)
        if not kept:
            raise errors.CloudUnavailable(
                'the credentials of stack %s are gone' % self.stack_id)
        return kept

    def create_user(self, name: str, password: str) -> str:
        return self.domain.create_user(name, self.project_id(), password)

    def delete_user(self, user_id: str) -> None:
        project_id = self.project.get()
        if project_id:
            self.domain.delete_user(user_id, project_id)

    def set_enabled(self, user_id: str, enabled: bool) -> None:
        self.domain.set_user_enabled(user_id, self.project_id(), enabled)

    def create_keypair(self, user_id: str) -> dict:
        return self.domain.create_keypair(user_id, self.project_id())

    def delete_keypair(self, user_id: str, credential_id: str) -> None:
        project_id = self.project.get()
        if project_id:
            self.domain.delete_keypair(user_id, project_id, credential_id)

    def user_token(self, user_id: str, password: str) -> str:
        return self.domain.user_token(user_id, self.project_id(), password)


def delete_tree_project(domain, project_id: str | None, stack_id: str
                        ) -> None:
    """Delete a tree's project at its root's delete; a refusal is logged,
    never a stack left undeleted (as Heat)."""
    if domain is None or not project_id:
        return
    try:
        domain.delete_project(project_id)
    except (errors.CloudError, errors.CloudUnavailable) as exc:
        LOG.warning('stack user project %s of stack %s could not be '
                    'deleted: %s', project_id, stack_id, exc)
