"""How keys are made and stored: random, unique, never in clear, bound to SECRET_KEY."""

from django.db import connection

from database.tokens import keys
from database.tokens.models import Token
from tests.database.tokens.conftest import CHECK_URL, UNKNOWN_TOKEN, client_with_key, key_of


def test_new_keys_are_32_random_letters_and_digits():
    drawn = {keys.new_key() for _ in range(200)}
    assert len(drawn) == 200
    for key in drawn:
        assert keys.is_well_formed(key)
    assert set("".join(drawn)) <= set(keys.KEY_ALPHABET)
    assert len(set("".join(drawn))) > 50  # the whole alphabet is in use


def test_the_database_holds_no_key_in_clear(make_token):
    token = make_token()
    key = key_of(token)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Token._meta.db_table} WHERE id = %s", [token.id])
        row = cursor.fetchone()
    assert all(key not in str(value) for value in row)
    stored = Token.objects.get(id=token.id)
    assert stored.key_hash == keys.key_hash(key)
    assert stored.key_hash != keys.key_hash(key, secret="another server")


def test_hash_matches_compares_against_the_stored_hash(make_token):
    key = key_of(make_token())
    assert keys.hash_matches(key, keys.key_hash(key))
    assert not keys.hash_matches(key, keys.key_hash(keys.new_key()))


def test_a_new_secret_key_invalidates_keys_unless_kept_as_fallback(settings, make_token):
    token = make_token()
    key = key_of(token)
    old_secret = settings.SECRET_KEY
    settings.SECRET_KEY = "a-brand-new-server-secret"
    assert client_with_key(key).get(CHECK_URL).json() == UNKNOWN_TOKEN
    assert keys.decrypt_key(Token.objects.get(id=token.id).key_encrypted) is None
    settings.SECRET_KEY_FALLBACKS = [old_secret]
    assert client_with_key(key).get(CHECK_URL).json() == {"token": "OK"}
    assert key_of(token) == key


def test_encryption_is_randomised():
    key = keys.new_key()
    first, second = keys.encrypt_key(key), keys.encrypt_key(key)
    assert first != second
    assert keys.decrypt_key(first) == keys.decrypt_key(second) == key
