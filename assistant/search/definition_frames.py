"""The frames of a question that asks what a term is (« Qu'est-ce qu'un CSAPA ? »,
« Comment la loi définit-elle l'équipe de soins ? »): each a pattern whose group "s" is
the term to define and what follows it (used by ``question_type.classify``)."""

from __future__ import annotations

import re

# An article before the term (« un CSAPA », « l'équipe »).
DET = r"(?:(?:les|le|la|une|un|des|du|de la|de l)\s+|(?:l|d|de l)')"
# « Qu'est-ce qu'un CSAPA ? »; not an object question (« qu'est-ce que X peut financer »:
# classify checks the term has no finite verb).
WHAT_IS = re.compile(r"^qu'est[- ]ce (?:que|qu') ?(?:c'est (?:que |qu' ?))?(?P<s>" + DET + r"?.+)$")
DEFINITION = [
    # What a body must provide asks its missions (« Qu'est-ce qu'un CAARUD doit assurer ? »,
    # sixteenth fresh-user test; « Que doit assurer un CAARUD ? » below), before WHAT_IS.
    re.compile(r"^qu'est[- ]ce (?:que|qu') ?(?P<s>.+?) (?:doit|doivent) assurer(?: .*)?$"),
    # « Missions d'un CAARUD ? », as typed in a search box.
    re.compile(r"^(?:les )?(?:missions?|rôles?|fonctions?) (?:de |du |des |d')(?P<s>.+)$"),
    WHAT_IS,
    re.compile(r"^qu'entend[- ]on par (?P<s>.+)$"),
    re.compile(r"^que (?:signifie|signifient|veut dire|veulent dire|désigne|désignent) (?P<s>.+)$"),
    re.compile(
        r"^(?:quelle est la |donnez |donner |une )?définition (?:de |du |des |d')(?P<s>.+)$"
    ),
    re.compile(r"^c'est quoi (?P<s>.+)$"),
    re.compile(r"^(?P<s>.+?),? c'est quoi$"),
    re.compile(r"^(?:comment (?:se )?définit[- ]on|comment définir|comment se définit) (?P<s>.+)$"),
    # How a text defines it (« Comment la loi définit-elle l'équipe de soins ? », « Comment
    # est définie la dépendance ? »; sixteenth fresh-user test: read as an open question,
    # answered with the « équipe de soins primaires »).
    re.compile(
        r"^comment (?:(?:est|sont) définie?s?|[^,]{2,60}? (?:définit|définissent)[- ]"
        r"(?:t-)?(?:il|elle|ils|elles)) (?P<s>.+)$"
    ),
    # A body is defined by what it is for: « Quelles sont les missions d'un CSAPA ? ».
    re.compile(
        r"^(?:quel(?:le)?s? (?:est|sont) (?:le|la|les) (?:rôle|rôles|mission|missions|objet|"
        r"objectif|objectifs|fonction|fonctions) (?:de |du |des |d')|à quoi (?:sert|servent) |"
        r"que (?:fait|font) )(?P<s>.+)$"
    ),
    # What a measure is made of, what a body must provide (« Que doit assurer un
    # CAARUD ? » asks its missions; thirteenth fresh-user test).
    re.compile(
        r"^(?:en quoi (?:consiste|consistent)|que (?:doit|doivent) assurer|"
        r"qu'(?:assure|assurent)) (?P<s>.+)$"
    ),
]
# Where the term is asked (« une équipe de soins au sens du code »), or what it bears on
# (« la dépendance à une drogue », which the law defines as « dépendance, c'est-à-dire
# … »): not the term.
SETTING = re.compile(
    r"\s+(?:dans|au sein d[eu']|au sens d[eu']|selon|en matière d[e']|pour|chez|auprès d[eu']|"
    r"à (?:un|une|la|l'))\s*"
)
# « Qu'est-ce que je dois faire » is not a definition: a pronoun follows the frame.
NOT_A_TERM = re.compile(
    r"^(?:je|j'|tu|il|elle|on|nous|vous|ils|elles|c'est|ça|cela|ce qu[ie]|le fait)\b"
)
