"""Forms of the assignment page: the run's options and the move of one person."""

from wtforms import BooleanField, IntegerField, RadioField, SelectField
from wtforms.validators import NumberRange, Optional

from ..web.forms import Form, options
from .report import STRATEGY_LABELS
from .services import RunOptions

# The weighted « fairness » strategy stays for the CLI and old runs; the page offers the
# exact lexicographic one in its place.
OFFERED_STRATEGIES = {key: STRATEGY_LABELS[key] for key in ("first_choices", "leximin")}


class RunForm(Form):
    strategy = RadioField("Priorité", choices=options(OFFERED_STRATEGIES.items()),
                          default="first_choices")
    max_profile_share = IntegerField(
        "Part maximale d’un même profil dans un atelier (%)",
        validators=[Optional(), NumberRange(1, 100, "Entre 1 et 100.")], default=50)
    min_group_size = IntegerField(
        "Taille de groupe à partir de laquelle cette part compte",
        validators=[Optional(), NumberRange(1, 1000, "Au moins 1.")], default=4)
    max_per_organisation = IntegerField(
        "Nombre maximal de personnes d’une même structure par atelier",
        validators=[Optional(), NumberRange(1, 1000, "Au moins 1.")], default=3)
    allow_unranked = BooleanField(
        "Donner une place hors de ses choix à qui n’en a pas dans ses choix")
    facilitators_take_place = BooleanField("Les animateur·rices occupent une place")
    avoid_same_theme = BooleanField(
        "Ne pas donner deux fois le même thème à une personne (plusieurs créneaux)")
    seed = IntegerField("Numéro du tirage au sort",
                        validators=[Optional(), NumberRange(0, 2**32 - 1,
                                                            "Un entier positif.")])

    def run_options(self) -> RunOptions:
        return RunOptions(strategy=self.strategy.data,
                          max_profile_share=self.max_profile_share.data,
                          min_group_size=self.min_group_size.data,
                          max_per_organisation=self.max_per_organisation.data,
                          allow_unranked=self.allow_unranked.data,
                          facilitators_take_place=self.facilitators_take_place.data,
                          avoid_same_theme=self.avoid_same_theme.data,
                          seed=self.seed.data)

    @classmethod
    def from_options(cls, run_options: RunOptions) -> "RunForm":
        """The form filled in as the last run was, with a fresh draw of the lottery."""
        values = {k: v for k, v in vars(run_options).items()
                  if k != "seed"}
        return cls(data=values)


#: The move menu's « sans atelier » value.
NO_WORKSHOP = 0


class MoveForm(Form):
    """Move one person (no JavaScript: one small form per person, prefixed by their id):
    a workshop of the slot, or none. A person moved by hand is locked there."""

    workshop = SelectField("Atelier", coerce=int)

    def set_workshops(self, workshops) -> None:
        self.workshop.choices = [(w.id, f"n°\u00a0{w.number}\u202f: {w.title}")
                                 for w in workshops] + [(NO_WORKSHOP, "Sans atelier")]
