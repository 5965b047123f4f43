"""Product tags: short coloured labels an organization puts on its products.

Any member creates tags and puts them on the products they can access (tags are seen by
everyone with access to the product). Renaming and deleting act on the whole
organization, so only legal representatives and administrators may; a deleted tag is
taken off every product. Names are unique regardless of case, so "VIP" and "vip" can
never both exist and confuse people.
"""

from __future__ import annotations

import re

from procedures.backend import validation
from procedures.backend.errors import Conflict, InvalidInput, NotFound
from procedures.backend.operation import BackendBase, operation
from procedures.backend.permissions import accessible_products, require_manager, require_product
from procedures.backend.records import OrganizationRecord, ProductRecord, TagRecord, View

PALETTE = ("red", "orange", "yellow", "green", "teal", "blue", "purple", "pink", "grey")
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
MAX_TAG_LENGTH = 30


class Tag(View):
    """A tag and how many products carry it."""

    id: str
    name: str
    colour: str
    products: int
    """How many of the organization's products carry it."""


class Product(View):
    """A product with its tags."""

    id: str
    kind: str
    name: str
    tags: list[Tag]


class TagDeletion(View):
    """A deleted tag and the products it was taken off."""

    deleted: str
    removed_from: list[str]
    """Ids of the products that carried the tag."""


def tag_view(org: OrganizationRecord, tag: TagRecord) -> Tag:
    return Tag(id=tag.id, name=tag.name, colour=tag.colour,
               products=sum(tag.id in p.tags for p in org.products))


def product_view(org: OrganizationRecord, product: ProductRecord) -> Product:
    tags = [tag_view(org, t) for t in org.tags if t.id in product.tags]
    return Product(id=product.id, kind=product.kind, name=product.name, tags=tags)


def _colour(value: object) -> str:
    if isinstance(value, str) and value.strip().lower() in PALETTE:
        return value.strip().lower()
    if isinstance(value, str) and _HEX.match(value.strip()):
        return value.strip().upper()
    raise InvalidInput("colour", f"{value!r} is not a tag colour; choose one of "
                                 f"{', '.join(PALETTE)} or a code like #1A7F5A")


def _find_tag(org: OrganizationRecord, tag_id: object) -> TagRecord:
    for tag in org.tags:
        if tag.id == tag_id:
            return tag
    raise NotFound(f"{org.name} has no tag {tag_id!r}")


def _unique_name(org: OrganizationRecord, name: str, except_id: str | None = None) -> None:
    for tag in org.tags:
        if tag.id != except_id and tag.name.casefold() == name.casefold():
            raise Conflict(f"{org.name} already has a tag named {tag.name!r}; use it or "
                           "choose another name")


def _tag_name(value: object) -> str:
    return validation.text("name", value, label="tag name", max_length=MAX_TAG_LENGTH)


class TagOperations(BackendBase):
    """Operations of the manager-product-tags guide."""

    @operation
    def list_products(self, acct: str) -> list[Product]:
        """The organization's products this user can access, with their tags."""
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
        return [product_view(org, p) for p in accessible_products(user, org)]

    @operation
    def list_tags(self, acct: str) -> list[Tag]:
        with self._transaction() as tx:
            _, org = self._member(tx, acct)
        return [tag_view(org, t) for t in org.tags]

    @operation
    def create_tag(self, acct: str, name: str, colour: str) -> Tag:
        cleaned, hue = _tag_name(name), _colour(colour)
        with self._transaction() as tx:
            _, org = self._member(tx, acct)
            _unique_name(org, cleaned)
            tag = TagRecord(id=f"tag-{tx.next_number('tag')}", name=cleaned, colour=hue)
            org.tags.append(tag)
            tx.save(org)
        return tag_view(org, tag)

    @operation
    def tag_product(self, acct: str, product_id: str, tag_id: str) -> Product:
        """Put a tag on a product; tagging twice changes nothing."""
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
            product = require_product(user, org, product_id)
            tag = _find_tag(org, tag_id)
            if tag.id not in product.tags:
                product.tags.append(tag.id)
                tx.save(org)
        return product_view(org, product)

    @operation
    def untag_product(self, acct: str, product_id: str, tag_id: str) -> Product:
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
            product = require_product(user, org, product_id)
            tag = _find_tag(org, tag_id)
            if tag.id not in product.tags:
                raise NotFound(f"the product {product.name!r} does not carry the tag "
                               f"{tag.name!r}")
            product.tags.remove(tag.id)
            tx.save(org)
        return product_view(org, product)

    @operation
    def rename_tag(self, acct: str, tag_id: str, name: str) -> Tag:
        cleaned = _tag_name(name)
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
            require_manager(user, org, "rename the organization's tags")
            tag = _find_tag(org, tag_id)
            _unique_name(org, cleaned, except_id=tag.id)
            tag.name = cleaned
            tx.save(org)
        return tag_view(org, tag)

    @operation
    def delete_tag(self, acct: str, tag_id: str) -> TagDeletion:
        """Delete a tag of the organization; it leaves every product that carried it."""
        with self._transaction() as tx:
            user, org = self._member(tx, acct)
            require_manager(user, org, "delete the organization's tags")
            tag = _find_tag(org, tag_id)
            removed_from = [p.id for p in org.products if tag.id in p.tags]
            for product in org.products:
                product.tags = [t for t in product.tags if t != tag.id]
            org.tags.remove(tag)
            tx.save(org)
        return TagDeletion(deleted=tag.id, removed_from=removed_from)
