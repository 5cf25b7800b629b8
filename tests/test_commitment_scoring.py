"""How commitment records are scored against gold: strict actor keys, and keys read through
the document's key links (ANNOTATION.md: one gold key, one predicted key)."""

from pipeline.classify.commitments.evaluation import Tally, compare, link_keys


def record(actors, action="oprichten", obj="een fonds voor de kust"):
    return {"actors": actors, "action": action, "object": obj}


def test_a_body_no_gazetteer_lists_may_carry_the_key_its_name_gives_it():
    # the annotator invented "tidal_cities_network"; the linker keyed the same mentions by name
    links = link_keys(
        [
            ("tidal_cities_network", "netwerk_van_getijdensteden"),
            ("tidal_cities_network", "netwerk_van_getijdensteden"),
            ("FRA", "FRA"),
        ]
    )
    assert links == {"netwerk_van_getijdensteden": "tidal_cities_network", "FRA": "FRA"}
    score = compare(record(["tidal_cities_network"]), record(["netwerk_van_getijdensteden"]), links)
    assert not score.actor_exact and score.actor_linked and score.usable_linked


def test_a_key_given_to_two_gold_actors_links_neither():
    # "de Raad" keyed one way for two different councils: not one to one, so no link
    links = link_keys([("council_eu", "raad"), ("nordic_council", "raad"), ("council_eu", "raad")])
    assert links == {}
    assert not compare(record(["council_eu"]), record(["raad"]), links).actor_linked


def test_a_gold_key_split_over_two_predicted_keys_links_neither():
    links = link_keys([("esa", "esa"), ("esa", "ruimtevaartorganisatie")])
    assert links == {}


def test_the_linked_figures_stand_beside_the_strict_ones():
    links = {"netwerk_van_getijdensteden": "tidal_cities_network"}
    tally = Tally()
    tally.add_sentence(
        [record(["tidal_cities_network"]), record(["FRA"], action="organiseren", obj="de top")],
        [
            record(["netwerk_van_getijdensteden"]),
            record(["FRA"], action="organiseren", obj="de top"),
        ],
        links,
    )
    figures = tally.figures()
    assert (figures["actor_exact"], figures["usable"]) == (0.5, 0.5)
    assert (figures["actor_linked"], figures["usable_linked"]) == (1.0, 1.0)
