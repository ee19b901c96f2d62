"""A resource's user in the stack user domain (Heat's StackUser and the
credential half of its SignalResponder), as a mixin of plugin types.

A type that hands a server credentials (a deployment signalling with
HEAT_SIGNAL, a server polling with POLL_SERVER_HEAT, a wait condition
handle's token) makes one user of the stack tree's domain project
(``cloud_ports.StackUsers``), named as the resource's physical name, with a
password kept in the resource's data; optionally an EC2 keypair.  The
user goes with the resource's delete (keypair first), is disabled by a
suspend and enabled by a resume, as in Heat.

The password is kept before the user is made, so that an action repeated
after its engine died makes its user with the same password.
"""

from convergence.clients import errors
from convergence.clients import stack_domain

# Resource data keys (Heat's).
USER_ID, PASSWORD = 'user_id', 'password'
CREDENTIAL_ID, ACCESS_KEY, SECRET_KEY = ('credential_id', 'access_key',
                                         'secret_key')


class StackUser:
    """Mixin for a Resource whose server signals or polls as its user."""

    def stack_user_id(self) -> str | None:
        return self.data_get(USER_ID)

    def stack_user_password(self) -> str:
        """The user's password, made (and kept) on first need."""
        password = self.data_get(PASSWORD)
        if password is None:
            password = stack_domain.new_password()
            self.data_set(PASSWORD, password)
        return password

    def create_stack_user(self) -> str:
        """The resource's user (made now if it has none); its id."""
        user_id = self.stack_user_id()
        if user_id:
            return user_id
        password = self.stack_user_password()
        user_id = self.stack_users().create_user(
            self.physical_resource_name(), password)
        self.data_set(USER_ID, user_id)
        return user_id

    def stack_user_credentials(self) -> dict:
        """What a server's agent authenticates with (Heat's
        _get_heat_signal_credentials, less the region): the user is made
        if need be."""
        users = self.stack_users()
        user_id = self.create_stack_user()
        return {'auth_url': users.auth_url,
                'username': self.physical_resource_name(),
                'user_id': user_id,
                'password': self.stack_user_password(),
                'project_id': users.project_id()}

    def stack_user_token(self) -> str:
        """A Keystone token of the resource's user (made if need be)."""
        user_id = self.create_stack_user()
        return self.stack_users().user_token(user_id,
                                             self.stack_user_password())

    def create_stack_user_keypair(self) -> dict:
        """The user's EC2 keypair (made now if it has none)."""
        if self.data_get(CREDENTIAL_ID):
            return {'id': self.data_get(CREDENTIAL_ID),
                    'access': self.data_get(ACCESS_KEY),
                    'secret': self.data_get(SECRET_KEY)}
        keypair = self.stack_users().create_keypair(self.create_stack_user())
        self.data_set(CREDENTIAL_ID, keypair['id'])
        self.data_set(ACCESS_KEY, keypair['access'])
        self.data_set(SECRET_KEY, keypair['secret'])
        return keypair

    def delete_stack_user(self) -> None:
        """The user goes (its keypair first); nothing when it has none."""
        user_id = self.stack_user_id()
        if user_id is None:
            return
        users = self.stack_users()
        credential_id = self.data_get(CREDENTIAL_ID)
        if credential_id:
            users.delete_keypair(user_id, credential_id)
            for key in (CREDENTIAL_ID, ACCESS_KEY, SECRET_KEY):
                self.data_delete(key)
        users.delete_user(user_id)
        self.data_delete(USER_ID)
        self.data_delete(PASSWORD)

    def set_stack_user_enabled(self, enabled: bool) -> None:
        """A suspend disables the user, a resume enables it (Heat's)."""
        user_id = self.stack_user_id()
        if user_id is not None:
            self.stack_users().set_enabled(user_id, enabled)


def unavailable_reason(resource) -> str | None:
    """Why ``resource`` cannot have a stack user (no domain configured,
    noauth), or None when it can."""
    try:
        resource.stack_users()
    except errors.CloudUnavailable as exc:
        return str(exc)
    return None
